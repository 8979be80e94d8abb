"""refdesk: federated virtual-reference chat for library co-operatives."""
