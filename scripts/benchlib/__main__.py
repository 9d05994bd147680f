import sys

from benchlib.main import cli

sys.exit(cli())
