"""Settings: defaults, good values, bad values (one clear error naming the variable), secrets hidden."""

from pathlib import Path

import pytest

from scamlab.config import SettingsError, load_settings


def test_defaults_are_offline_and_local():
    settings = load_settings({}, dotenv_path=None)
    assert settings.chat_model is None and settings.classifier_model is None and settings.chat_endpoint is None
    assert (settings.device, settings.dtype, settings.host, settings.max_input_chars) == ("auto", "auto", "127.0.0.1", 10_000)
    assert settings.cache_dir.name == "scamlab"


def test_good_values_are_read():
    settings = load_settings(
        {
            "SCAMLAB_CHAT_MODEL": "Qwen/Qwen2.5-0.5B-Instruct",
            "SCAMLAB_CLASSIFIER_MODEL": "/models/spam",
            "SCAMLAB_CHAT_ENDPOINT": "http://127.0.0.1:8080/v1/",
            "SCAMLAB_DEVICE": "CPU",
            "SCAMLAB_DTYPE": "bfloat16",
            "SCAMLAB_CACHE_DIR": "/tmp/scamlab-cache",
            "SCAMLAB_MAX_INPUT_CHARS": "500",
            "SCAMLAB_USERS": "teacher:secret1,class:secret2",
        },
        dotenv_path=None,
    )
    assert settings.chat_model == "Qwen/Qwen2.5-0.5B-Instruct"
    assert settings.classifier_model == "/models/spam"
    assert settings.chat_endpoint == "http://127.0.0.1:8080/v1"
    assert (settings.device, settings.dtype) == ("cpu", "bfloat16")
    assert settings.cache_dir == Path("/tmp/scamlab-cache")
    assert settings.max_input_chars == 500
    assert settings.users == (("teacher", "secret1"), ("class", "secret2"))


@pytest.mark.parametrize(
    "name, value, allowed",
    [
        ("SCAMLAB_DEVICE", "tpu", "auto, cpu, cuda, mps"),
        ("SCAMLAB_DTYPE", "int4", "auto, float32, bfloat16, float16, int8"),
        ("SCAMLAB_CHAT_ENDPOINT", "localhost:8080", "http://"),
        ("SCAMLAB_MAX_INPUT_CHARS", "-3", "whole number"),
        ("SCAMLAB_MAX_INPUT_CHARS", "lots", "whole number"),
        ("SCAMLAB_USERS", "teacher", "name:password"),
        ("SCAMLAB_TEACHERS", "teacher", "SCAMLAB_USERS"),
        ("SCAMLAB_ALLOWED_ENDPOINTS", "http://a/v1,ftp://b", "http://"),
        ("SCAMLAB_REPLY_LIMIT", "0", "whole number"),
        ("SCAMLAB_MESSAGE_LIMIT", "many", "whole number"),
        ("SCAMLAB_RUNNING_LIMIT", "-1", "whole number"),
    ],
)
def test_bad_value_names_the_variable_and_the_allowed_values(name, value, allowed):
    with pytest.raises(SettingsError) as error:
        load_settings({name: value}, dotenv_path=None)
    assert name in str(error.value) and allowed in str(error.value)


def test_tokens_per_task_override_the_shared_token_and_never_show():
    settings = load_settings({"HF_TOKEN": "hf_shared_FAKE", "HF_TOKEN_PRED": "hf_pred_FAKE"}, dotenv_path=None)
    assert settings.chat_token == "hf_shared_FAKE" and settings.classifier_token == "hf_pred_FAKE"
    assert "FAKE" not in repr(settings) and "FAKE" not in str(settings)


def test_dotenv_file_is_read_and_environment_wins(tmp_path):
    dotenv = tmp_path / ".env"
    dotenv.write_text("SCAMLAB_DTYPE=float16\nSCAMLAB_DEVICE=cpu\n")
    settings = load_settings({"SCAMLAB_DEVICE": "auto"}, dotenv_path=dotenv)
    assert settings.dtype == "float16" and settings.device == "auto"


def test_space_listens_on_all_interfaces():
    assert load_settings({"SPACE_ID": "someone/scamlab"}, dotenv_path=None).host == "0.0.0.0"


def test_limits_and_roles_are_read():
    defaults = load_settings({}, dotenv_path=None)
    assert (defaults.rate_limit_per_minute, defaults.reply_limit_per_minute, defaults.message_limit_per_minute,
            defaults.running_limit, defaults.teachers, defaults.allowed_endpoints) == (10, 24, 500, 1, frozenset(), ())
    settings = load_settings({"SCAMLAB_RATE_LIMIT": "20", "SCAMLAB_REPLY_LIMIT": "40", "SCAMLAB_MESSAGE_LIMIT": "2000",
                              "SCAMLAB_RUNNING_LIMIT": "2", "SCAMLAB_USERS": "ms_a:pw1,kid:pw2", "SCAMLAB_TEACHERS": "ms_a",
                              "SCAMLAB_ALLOWED_ENDPOINTS": "http://10.0.0.5:8080/v1/"}, dotenv_path=None)
    assert (settings.rate_limit_per_minute, settings.reply_limit_per_minute, settings.message_limit_per_minute,
            settings.running_limit) == (20, 40, 2000, 2)
    assert settings.teachers == frozenset({"ms_a"}) and settings.allowed_endpoints == ("http://10.0.0.5:8080/v1",)
