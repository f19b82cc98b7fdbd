#!/usr/bin/env bash
# Mints a bearer token for trying a production node locally, as an identity provider would: RS256, roles in "groups".
#
#   bash docs/make-token.sh [roles] [subject] [hours]   # roles comma-separated, default crm,analyst,auditor,admin
#
# The first run makes a key pair in ./local-jwt/ (git-ignored); start the node with
#   MP_JWT_VERIFY_PUBLICKEY_LOCATION=$PWD/local-jwt/public-key.pem MP_JWT_VERIFY_ISSUER=local-trial
# and send the printed token: curl -H "Authorization: Bearer $(bash docs/make-token.sh analyst)" …
# For trials only: in production your identity provider issues the tokens and keeps the private key.
set -euo pipefail
roles=${1:-crm,analyst,auditor,admin}
subject=${2:-local-operator}
hours=${3:-8}
dir=local-jwt
if [ ! -f "$dir/private-key.pem" ]; then
    mkdir -p "$dir"
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$dir/private-key.pem" 2>/dev/null
    openssl pkey -in "$dir/private-key.pem" -pubout -out "$dir/public-key.pem"
fi
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
now=$(date +%s)
groups=$(printf '"%s",' ${roles//,/ }); groups=${groups%,}
header=$(printf '{"alg":"RS256","typ":"JWT"}' | b64url)
payload=$(printf '{"iss":"local-trial","sub":"%s","upn":"%s","groups":[%s],"iat":%d,"exp":%d}' \
    "$subject" "$subject" "$groups" "$now" $((now + hours * 3600)) | b64url)
signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$dir/private-key.pem" -binary | b64url)
printf '%s.%s.%s\n' "$header" "$payload" "$signature"
