"""Security and reproducibility rules (DKL401 to DKL407): who the container runs as, what the
build trusts.

DKL401 runs-as-root, DKL402 unpinned-image-tag, DKL403 secret-in-build-argument,
DKL404 sudo-in-run, DKL405 add-for-local-files, DKL406 tls-verification-disabled,
DKL407 shell-form-command.
"""
