"""Certificates of attendance: who attended (one rule), the PDF from the delegate's page, and the signed
address where anyone can check that a certificate is genuine."""
