// The relay reads requests with core's request-head parser (shared with
// hyco-pipe's relay-http: front); its names, as the relay's code uses them.
#pragma once

#include "core/http/http_request_head.h"

namespace hyco::relay {

using http::HeaderList;
using http::HeadLimits;
using http::HeadResult;
using http::HttpRequest;
using http::parse_query;
using http::parse_request_head;
using http::query_value;
using http::QueryParam;

}  // namespace hyco::relay
