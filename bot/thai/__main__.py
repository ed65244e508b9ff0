"""``python -m bot.thai``: the Thai reader's command line (see `thai.__main__`)."""
import sys

from thai.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
