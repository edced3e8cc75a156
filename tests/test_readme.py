"""README stays true to the code: the documented tables are the ones the app uses, the commands are real."""

from scamlab.red_flags import red_flag_table_markdown
from scamlab.verdicts import verdict_bands_markdown
from tests.conftest import REPO_ROOT

README = (REPO_ROOT / "README.md").read_text()


def test_readme_documents_the_rule_table_and_the_verdict_bands_the_app_uses():
    assert red_flag_table_markdown() in README
    assert verdict_bands_markdown() in README


def test_readme_gives_the_two_commands_and_ci_runs_the_test_command():
    assert "pip install --no-deps -r requirements-offline.txt && python app.py" in README
    assert "bash scripts/test.sh" in README
    assert "bash scripts/test.sh" in (REPO_ROOT / ".ci" / "run").read_text()


def test_every_setting_in_env_example_is_documented():
    names = [line.split("=")[0].lstrip("# ").strip() for line in (REPO_ROOT / ".env.example").read_text().splitlines() if "=" in line and line.lstrip("# ").startswith(("SCAMLAB_", "HF_"))]
    assert names and all(f"`{name}`" in README for name in names), [n for n in names if f"`{n}`" not in README]
