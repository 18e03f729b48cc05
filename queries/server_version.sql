-- The release the server runs ("26.7.2.1"), asked once when the store opens.
SELECT version()
