// hyco-listen's manual: summary, description, examples and extra sections.
#pragma once

#include "tools/common/tool.h"

namespace listen_tool {

hyco::cli::ToolInfo info();

}  // namespace listen_tool
