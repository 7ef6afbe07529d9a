// Placeholder until apps/demo lands: says what `npm run demo` will start.
console.log('mqttkit demo: will start @mqttkit/broker (TCP 1883, WebSocket 8080), the device simulator and the dashboard.');
console.log('Not built yet: see the issues for progress.');
