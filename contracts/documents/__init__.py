"""Clause-pack documents: the layout both formats share, the PDF and the Word renderer."""

import logging

# WeasyPrint logs every rendering step, and the parsing of its own stylesheets on import, at
# INFO. One generated document is one line in the audit trail, not sixty in the server log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
