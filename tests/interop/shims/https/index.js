module.exports = require('node:https');
