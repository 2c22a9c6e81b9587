"""One module per `leadsim` subcommand (see sim/cli.py for the contract)."""
