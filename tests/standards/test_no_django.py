from __future__ import annotations

import subprocess
import sys


def test_importing_the_engine_does_not_import_django() -> None:
    code = (
        "import sys, datetime\n"
        "import smeladder.standards as s\n"
        "s.assess({'industry_code': 'C3484'}, 'sme_size', datetime.date(2026, 1, 1))\n"
        "assert 'django' not in sys.modules, sorted(m for m in sys.modules if 'django' in m)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, env={"PYTHONPATH": ""})
