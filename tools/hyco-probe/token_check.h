// The token step: what the relay will be shown, checked locally before any
// of it is sent. A SAS token names its rule, audience and expiry but not the
// rule's rights; those only show in what the relay then accepts.
#pragma once

#include <cstdint>

#include "core/auth/credentials.h"
#include "tools/hyco-probe/step.h"

namespace hyco::probe {

/// Verdict on the credentials for `target` at `now`: a minted token is
/// parsed back and verified against its key; a pre-issued one is checked for
/// expiry and audience (its signature only the relay can check).
StepResult check_token(const RelayTarget& target, std::int64_t now);

}  // namespace hyco::probe
