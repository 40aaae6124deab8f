// JSON mapping of control-channel messages with nlohmann::ordered_json so the
// field order on the wire matches the service's.
#include "core/relay/control_message.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/base/json_text.h"
#include "core/base/text.h"

namespace hyco::control {
namespace {

using json = nlohmann::ordered_json;

Error bad(std::string why) { return make_error(Exit::failure, "invalid control message", std::move(why)); }

struct Reader {
    const json& obj;
    std::string_view command;

    Result<std::string> str(const char* key, bool required) const {
        auto it = obj.find(key);
        if (it == obj.end() || it->is_null()) {
            if (required) return bad(fmt::format("'{}' has no '{}'", command, key));
            return std::string();
        }
        if (!it->is_string()) return bad(fmt::format("'{}.{}' must be a string", command, key));
        return it->get<std::string>();
    }

    Result<Headers> headers(const char* key) const {
        Headers out;
        auto it = obj.find(key);
        if (it == obj.end() || it->is_null()) return out;
        if (!it->is_object()) return bad(fmt::format("'{}.{}' must be an object", command, key));
        for (const auto& [name, value] : it->items()) {
            if (!value.is_string())
                return bad(fmt::format("header '{}' in '{}.{}' must be a string", text::printable(name), command, key));
            out.emplace_back(name, value.get<std::string>());
        }
        return out;
    }

    Result<RemoteEndpoint> remote() const {
        RemoteEndpoint r;
        auto it = obj.find("remoteEndpoint");
        if (it == obj.end() || it->is_null()) return r;
        if (!it->is_object()) return bad(fmt::format("'{}.remoteEndpoint' must be an object", command));
        if (auto a = it->find("address"); a != it->end()) {
            if (!a->is_string()) return bad("'remoteEndpoint.address' must be a string");
            r.address = a->get<std::string>();
        }
        if (auto p = it->find("port"); p != it->end()) {
            if (!p->is_number_integer() || p->get<long long>() < 0 || p->get<long long>() > 65535)
                return bad("'remoteEndpoint.port' must be a number from 0 to 65535");
            r.port = p->get<int>();
        }
        return r;
    }

    Result<std::optional<bool>> boolean(const char* key) const {
        auto it = obj.find(key);
        if (it == obj.end() || it->is_null()) return std::optional<bool>();
        if (!it->is_boolean()) return bad(fmt::format("'{}.{}' must be true or false", command, key));
        return std::optional<bool>(it->get<bool>());
    }
};

#define HYCO_TRY(var, expr)            \
    auto var##_r = (expr);             \
    if (!var##_r) return var##_r.error(); \
    auto var = std::move(var##_r.value())

Result<Message> parse_accept(const Reader& r) {
    Accept a;
    HYCO_TRY(address, r.str("address", true));
    HYCO_TRY(id, r.str("id", false));
    HYCO_TRY(headers, r.headers("connectHeaders"));
    HYCO_TRY(remote, r.remote());
    a.address = std::move(address);
    a.id = std::move(id);
    a.connect_headers = std::move(headers);
    a.remote = std::move(remote);
    return Message(std::move(a));
}

Result<Message> parse_request(const Reader& r) {
    Request q;
    HYCO_TRY(address, r.str("address", true));
    HYCO_TRY(id, r.str("id", false));
    HYCO_TRY(target, r.str("requestTarget", false));
    HYCO_TRY(method, r.str("method", false));
    HYCO_TRY(headers, r.headers("requestHeaders"));
    HYCO_TRY(remote, r.remote());
    HYCO_TRY(body, r.boolean("body"));
    q.address = std::move(address);
    q.id = std::move(id);
    q.request_target = std::move(target);
    q.method = std::move(method);
    q.request_headers = std::move(headers);
    q.remote = std::move(remote);
    q.has_body_field = body.has_value();
    q.body = body.value_or(false);
    if (!q.is_pointer() && q.method.empty()) return bad("'request' has a body flag but no 'method'");
    return Message(std::move(q));
}

Result<Message> parse_response(const Reader& r) {
    Response s;
    HYCO_TRY(id, r.str("requestId", true));
    s.request_id = std::move(id);
    auto it = r.obj.find("statusCode");
    if (it == r.obj.end()) return bad("'response' has no 'statusCode'");
    long long code = -1;
    if (it->is_number_integer()) {
        code = it->get<long long>();
    } else if (it->is_string()) {
        // The protocol document's own example sends the status as a string.
        std::string v = it->get<std::string>();
        if (!v.empty() && v.size() <= 3 && v.find_first_not_of("0123456789") == std::string::npos) code = std::stoll(v);
    }
    if (code < 100 || code > 999) return bad("'response.statusCode' must be a number from 100 to 999");
    s.status_code = static_cast<int>(code);
    HYCO_TRY(desc, r.str("statusDescription", false));
    HYCO_TRY(headers, r.headers("responseHeaders"));
    HYCO_TRY(body, r.boolean("body"));
    s.status_description = std::move(desc);
    s.response_headers = std::move(headers);
    s.body = body.value_or(false);
    return Message(std::move(s));
}

Result<Message> parse_renew(const Reader& r) {
    HYCO_TRY(token, r.str("token", true));
    return Message(RenewToken{std::move(token)});
}

#undef HYCO_TRY

json headers_json(const Headers& h) {
    json o = json::object();
    for (const auto& [k, v] : h) o[k] = v;
    return o;
}

json remote_json(const RemoteEndpoint& r) { return json{{"address", r.address}, {"port", r.port}}; }

}  // namespace

const std::string* find_header(const Headers& headers, std::string_view name) {
    for (const auto& [k, v] : headers)
        if (text::iequals(k, name)) return &v;
    return nullptr;
}

Result<Message> parse(std::string_view text) {
    if (text.size() > kMaxMessageSize) return bad(fmt::format("it is larger than {} bytes", kMaxMessageSize));
    json j = json::parse(text, nullptr, false);
    if (j.is_discarded()) return bad("it is not valid JSON");
    if (!j.is_object() || j.size() != 1) return bad("expected an object with exactly one command key");
    auto it = j.begin();
    const std::string& name = it.key();
    if (!it->is_object()) return bad(fmt::format("'{}' must be an object", text::quote(name, 40)));
    Reader r{*it, name};
    if (name == "accept") return parse_accept(r);
    if (name == "request") return parse_request(r);
    if (name == "response") return parse_response(r);
    if (name == "renewToken") return parse_renew(r);
    return bad(fmt::format("unknown command {}", text::quote(name, 40)));
}

std::string serialize(const Message& message) {
    json j;
    if (const auto* a = std::get_if<Accept>(&message)) {
        j["accept"] = json{{"address", a->address},
                           {"id", a->id},
                           {"connectHeaders", headers_json(a->connect_headers)},
                           {"remoteEndpoint", remote_json(a->remote)}};
    } else if (const auto* q = std::get_if<Request>(&message)) {
        json body{{"address", q->address}, {"id", q->id}};
        if (!q->is_pointer()) {
            body["requestTarget"] = q->request_target;
            body["method"] = q->method;
            body["remoteEndpoint"] = remote_json(q->remote);
            body["requestHeaders"] = headers_json(q->request_headers);
            body["body"] = q->body;
        }
        j["request"] = std::move(body);
    } else if (const auto* s = std::get_if<Response>(&message)) {
        j["response"] = json{{"requestId", s->request_id},
                             {"statusCode", s->status_code},
                             {"statusDescription", s->status_description},
                             {"responseHeaders", headers_json(s->response_headers)},
                             {"body", s->body}};
    } else {
        j["renewToken"] = json{{"token", std::get<RenewToken>(message).token}};
    }
    return json_text(j);
}

std::string_view command_name(const Message& message) {
    switch (message.index()) {
        case 0: return "accept";
        case 1: return "request";
        case 2: return "response";
        default: return "renewToken";
    }
}

}  // namespace hyco::control
