"""The queue's side of urn:refdesk:console:0 (schemas/console.xsd): what a librarian's
client asks beyond the patron and operator protocol."""
