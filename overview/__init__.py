"""The pages that read every app: the dashboard, a user's follow-ups and the list of gaps.
It sits on top of the other apps and nothing imports it."""
