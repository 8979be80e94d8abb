"""The faq component: FAQ groups, the policy page and scripts."""
