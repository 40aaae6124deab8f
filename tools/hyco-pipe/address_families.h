// The address families, each one file (address_*.cpp): the function
// through which each hands its types to the registry (address.cpp), in the
// order the documentation lists them.
#pragma once

#include <vector>

namespace hyco::pipe {

struct AddressType;

namespace family {

std::vector<AddressType> local();   ///< stdio, exec
std::vector<AddressType> probes();  ///< mirror, literal
std::vector<AddressType> socket();  ///< tcp, tcp-listen, unix, unix-listen
std::vector<AddressType> udp();     ///< udp, udp-listen
std::vector<AddressType> relay();   ///< relay-listen, relay-connect, relay-http

}  // namespace family
}  // namespace hyco::pipe
