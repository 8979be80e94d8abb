"""The stats component: reports and monitoring activity."""
