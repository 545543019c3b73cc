"""BuildKit's build checks, offline (DKL520-DKL537).

``docker build --check`` runs these only when a Docker daemon is around; here they
run on the text, with better ranges and with fixes. Each rule names its BuildKit
check in ``buildkit=`` so ``# check=skip=<Name>`` silences it. JSONArgsRecommended
is DKL407 and SecretsUsedInArgOrEnv is DKL403 (security family).

One module per rule; ``check_directive`` applies ``# check=error=true`` (every BuildKit
check becomes an error), ``global_args`` gives the global ARGs their default values, and
``reference_edits`` holds the in-place rename fixes.
"""
