"""The library's privacy tools for sysadmins: `refdesk transcripts purge` and `export`."""
