"""Trusted certificates (contract §13): files and keys read locally, the certificate list, proof of
possession, the revocation list and the tenant certificate authority.

    files       certificate files (PEM, chains, DER) and fingerprints; ``cryptography`` imported lazily
    manage      look-ups, add (reconciled after a lost answer), one-field updates, delete
    possession  proof of possession: code from the tenant, signed locally, the key never sent
    revocation  serials to revoke (flags or CSV) and the CRL read back
    authority   the tenant CA (feature ``certificate-authority``)
"""
