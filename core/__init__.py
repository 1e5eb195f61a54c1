"""The ground floor every app builds on: access checks, audit trail, field history, file checks,
sign-in throttling, data fingerprints, reminders and the versioned library. Imports no app."""
