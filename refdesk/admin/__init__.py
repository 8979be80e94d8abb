"""Administering one library's refdesk from the command line: users, departments, widgets.

Every edit is one transaction that also raises the directory's change counter, so that the
running queue and gateway pick it up within seconds without a restart.
"""
