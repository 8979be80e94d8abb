"""The coop component: the co-op registry: members, roles, schedule, co-op statistics."""
