# Settings every edge (or single node) these scripts start on this machine gets, as arguments:
# - the token secret: Auth__Secret from the environment when it is set; otherwise the public development secret,
#   which an edge accepts only when told so explicitly (Auth:Development);
# - no per-address connection limits: every client of a local cluster (the drills, the verifier, the benchmark)
#   connects from 127.0.0.1, which the limits would otherwise count as one very busy address.
local_edge_args() {
  if [[ -z "${Auth__Secret:-}" ]]; then
    printf '%s\n' --Auth:Development true
  fi
  printf '%s\n' --Admission:MaxConnectionsPerAddress 0 --Admission:ConnectsPerSecondPerAddress 0
}
