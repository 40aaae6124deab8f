// hyco-probe's manual: summary, description, examples and extra sections.
#pragma once

#include "tools/common/tool.h"

namespace probe_tool {

hyco::cli::ToolInfo info();

}  // namespace probe_tool
