#!/bin/sh
# Install maskgate into a fresh virtual environment at PREFIX from the hash-locked requirements,
# as `make install` does (requirements/main.lock, --require-hashes; the spaCy model is in the lock).
# deploy/Dockerfile RUNs this script and tests/deploy/test_deploy.py runs it in a temporary directory, so
# the image's recipe is tested even where no image can be built.
#
#   sh deploy/install.sh PREFIX        from the repository root; PYTHON=python3.11 picks the interpreter
set -eu

prefix=${1:?usage: deploy/install.sh PREFIX}
python=${PYTHON:-python3}
tools=${MASKGATE_INSTALL_TOOLS:-$prefix-tools}  # uv lives here, outside the runtime environment

"$python" -m venv "$tools"
"$tools/bin/pip" install --quiet --disable-pip-version-check --require-hashes -r requirements/bootstrap.lock
uv="$tools/bin/uv"

"$python" -m venv --without-pip "$prefix"
"$uv" pip install --quiet --python "$prefix/bin/python" --require-hashes -r requirements/main.lock
# maskgate itself, as a wheel built from this tree (not editable); its dependencies are all above.
"$uv" pip install --quiet --python "$prefix/bin/python" --no-deps .

# The container entrypoint and health check, run by the environment's own interpreter.
for script in entrypoint healthcheck; do
  sed "1s|.*|#!$prefix/bin/python|" "deploy/$script.py" >"$prefix/bin/maskgate-$script"
  chmod 0755 "$prefix/bin/maskgate-$script"
done

# Fail the install, not the first request: the CLI starts and the whole pipeline (NER model
# included) masks a sentence offline.
out=$("$prefix/bin/maskgate" redact "Write to Jane Doe at jane@example.org" --store memory://)
case "$out" in
  *"<PERSON_1>"*"<EMAIL_1>"*) ;;
  *) echo "deploy/install.sh: the installed maskgate does not mask (got: $out)" >&2; exit 1 ;;
esac
