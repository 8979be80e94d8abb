"""The archive component: transcripts, patron feedback and follow-up tickets."""
