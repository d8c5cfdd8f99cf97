"""setuptools' one dynamic part: the packages, with our specs and templates shipped inside ``specforge``.

The top-level ``specs/`` and ``templates/`` folders stay the only source; the wheel carries them as the package
data of ``specforge.specs`` and ``specforge.templates`` (``apimodel.project`` finds them there). Everything else
is in pyproject.toml.
"""

from setuptools import find_packages, setup

DATA = {"specforge.specs": "specs", "specforge.templates": "templates"}

setup(
    packages=[*find_packages(include=["specforge*", "apimodel*", "generator*", "conformance*"]), *DATA],
    package_dir=DATA,
)
