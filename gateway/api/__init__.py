"""The gateway's authenticated JSON API: reports, monitoring activity, the Contribution
Percentage, the dashboard and the schedule, asked of the components as the librarian."""
