"""The federation lab: real Prosody servers for every sample library, over loopback."""
