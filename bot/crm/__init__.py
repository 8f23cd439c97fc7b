"""Customer 360: CRM import, the CRM lookup webhook and merging one person's identities."""
