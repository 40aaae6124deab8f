// hyco-send's manual: summary, description, examples and extra sections.
#pragma once

#include "tools/common/tool.h"

namespace send_tool {

hyco::cli::ToolInfo info();

}  // namespace send_tool
