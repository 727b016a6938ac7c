"""The project's set-up: the conda and pip dependency lists agree."""
import re
import tomllib

import yaml

from analysis.paths import PROJECT_ROOT


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pip_side = {_name(r): r for r in project["dependencies"] + project["optional-dependencies"]["test"]}
    environment = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda_side = {_name(d): d for d in environment["dependencies"] if isinstance(d, str)}
    conda_side.pop("python"), conda_side.pop("pip")
    assert sorted(conda_side) == sorted(pip_side)
    for name, requirement in pip_side.items():
        assert conda_side[name].replace(" ", "") == requirement.replace(" ", ""), name
    pip_section = next(d["pip"] for d in environment["dependencies"] if isinstance(d, dict))
    assert pip_section == ["-e ."]


def test_ci_runs_the_readme_test_command():
    assert "make test" in (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert "make report" in (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
