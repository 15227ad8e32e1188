## Words and quantities shared by several panels and commands.

common-sessions = { $count ->
    [one] { $count } session
   *[other] { $count } sessions
}
common-duration-ms = { $ms } ms
common-duration-unreturned = ≥ { $duration }, never returned

## MAPI provider kinds (Microsoft's terms).
common-kind-transport = transport
common-kind-address-book = address book
common-kind-message-store = message store

## Shutdown outcomes (badges, human output; JSON keeps the English names).
common-outcome-fast = fast
common-outcome-normal = normal
common-outcome-data-loss-risk = data-loss risk
common-outcome-incomplete = incomplete
common-outcome-in-progress = in progress

## Severity of a finding.
common-severity-info = info
common-severity-warning = warning
common-severity-error = error
