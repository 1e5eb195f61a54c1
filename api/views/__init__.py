"""The REST API's endpoints, one module per part of the app."""
