# Shared by deploy.sh, rollback.sh and health_check.sh: option parsing and the dry-run switch.
# Sourced, not run.

SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
EXAMPLES_DIR="$(dirname "$SCRIPTS_DIR")"
MANIFESTS_DIR="$EXAMPLES_DIR/kubernetes"
DRY_RUN=0
NAMESPACE="${RISK_MODULES_NAMESPACE:-default}"
DEPLOYMENT=inf-node
SELECTOR=app.kubernetes.io/name=inf-node

# Runs a command, or with --dry-run prints it (shell-quoted, prefixed with "+ ") instead.
run() {
  if [ "$DRY_RUN" = 1 ]; then
    printf '+'
    printf ' %q' "$@"
    printf '\n'
  else
    "$@"
  fi
}

# kubectl in the chosen namespace.
kube() {
  run kubectl --namespace "$NAMESPACE" "$@"
}

need_kubectl() {
  if [ "$DRY_RUN" = 0 ] && ! command -v kubectl >/dev/null 2>&1; then
    echo "$(basename "$0"): kubectl is not on the PATH (use --dry-run to see the commands)" >&2
    exit 127
  fi
}

# A key of the health_check section of deployment_config.yaml, or the default given.
health_setting() {
  local key="$1" default="$2" file="$EXAMPLES_DIR/config/deployment_config.yaml" value
  value="$(awk -v k="$key" '
    /^[^ #]/ { in_section = ($0 ~ /^health_check:/) }
    in_section && $1 == k":" { print $2; exit }' "$file" 2>/dev/null | tr -d '"')"
  echo "${value:-$default}"
}
