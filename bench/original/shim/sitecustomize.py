# Debian 12 has SQLAlchemy 1.4; the original pins 2.0. Names its imports need, nothing else changed.
import sqlalchemy, sqlalchemy.engine, sqlalchemy.orm
sqlalchemy.Connection, sqlalchemy.Engine = sqlalchemy.engine.Connection, sqlalchemy.engine.Engine
class DeclarativeBase:  # Flask-SQLAlchemy 3.0 makes the declarative base from a plain class
    pass
sqlalchemy.orm.DeclarativeBase = DeclarativeBase
# Werkzeug 2.2 (Debian 12) does not know the "scrypt:N:r:p" hashes Werkzeug 3 writes by default;
# checking them as Werkzeug 3.0 does (hashlib.scrypt, maxmem 132*N*r*p), everything else unchanged.
import hashlib, hmac, werkzeug.security
_check = werkzeug.security.check_password_hash
def check_password_hash(pwhash, password):
    if pwhash.startswith("scrypt:") and pwhash.count("$") == 2:
        method, salt, hashval = pwhash.split("$", 2)
        n, r, p = (int(x) for x in method.split(":")[1:4])
        got = hashlib.scrypt(password.encode(), salt=salt.encode(), n=n, r=r, p=p, maxmem=132 * n * r * p).hex()
        return hmac.compare_digest(got, hashval)
    return _check(pwhash, password)
werkzeug.security.check_password_hash = check_password_hash
