"""The compiled day-route search (`planner/solve/_routes.cpp`), built where a C++ compiler is
found; without one the extension is left out and the package searches in Python
(`planner.solve.routes`). Everything else is in pyproject.toml."""

from setuptools import Extension, setup

# No fast-math and no contraction into fused multiply-adds: the compiled search's sums are
# the Python search's, bit for bit.
FLAGS = ["-std=c++17", "-O2", "-fno-fast-math", "-ffp-contract=off"]

setup(ext_modules=[Extension("planner.solve._routes", ["planner/solve/_routes.cpp"], language="c++",
                             extra_compile_args=FLAGS, optional=True)])
