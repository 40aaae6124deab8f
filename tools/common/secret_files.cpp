// Secret files (see secret_files.h).
#include "tools/common/secret_files.h"

#include <sys/stat.h>

#include <fmt/format.h>

#include "tools/common/diag.h"

namespace hyco::cli {

void warn_if_exposed(const std::string& path, std::string_view what) {
    struct stat st;
    if (stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return;
    if ((st.st_mode & (S_IRGRP | S_IROTH)) == 0) return;
    diag::warning(fmt::format("{} {} is readable by {} (mode {:o}); chmod 600 it", what, path,
                              (st.st_mode & S_IROTH) ? "everyone" : "its group", st.st_mode & 0777));
}

}  // namespace hyco::cli
