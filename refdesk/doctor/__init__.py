"""`refdesk doctor`: checks a production deployment as its sysadmin would.

One module per family of checks (configuration, certificates, DNS, network, components,
database), each returning `Result`s; `runner` runs them in order and `command` wires the
sub-command into `refdesk` (`add_parser`).
"""
