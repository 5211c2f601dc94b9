# Settings every edge (or single node) these scripts start on this machine gets.
# - The token secret: Auth__Secret from the environment, or IMACTORS_SECRET (the variable imctl and the verifier read)
#   when only that is set. With neither, the public development secret, which an edge accepts only when told so
#   explicitly (Auth:Development): the scripts say so on the command line.
# - No per-address connection limits: every client of a local cluster (the drills, the verifier, the benchmark)
#   connects from 127.0.0.1, which the limits would otherwise count as one very busy address.
if [[ -z "${Auth__Secret:-}" && -n "${IMACTORS_SECRET:-}" ]]; then
  export Auth__Secret=$IMACTORS_SECRET
fi

local_edge_args() {
  if [[ -z "${Auth__Secret:-}" ]]; then
    printf '%s\n' --Auth:Development true
  fi
  printf '%s\n' --Admission:MaxConnectionsPerAddress 0 --Admission:ConnectsPerSecondPerAddress 0
}
