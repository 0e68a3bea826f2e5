# the phone line, deployed with the twilio provider
resource "twilio_studio_flows_v2" "ivr" {
  friendly_name = "IVR"
  status        = "published"
  definition = jsonencode({
    "description" : "Support line",   // quoted names and a colon, as JSON pasted in
    states = [
      {
        name = "Trigger", type = "trigger"
        transitions = [
          { event = "incomingMessage" },
          { next = "gather_main", event = "incomingCall" },
        ]
        properties = { offset = { x = 0, y = 0 } }
      },
      {
        name = "gather_main"
        type = "gather-input-on-call"
        transitions = [
          { next = "split_main", event = "keypress" },
          { next = "agent", event = "timeout" },
        ]
        properties = {
          say = <<-EOT
            For sales, press 1.
            For an agent, press 0.
          EOT
          /* plays twice */ loop = 2
          timeout = 5
        }
      },
      {
        name = "split_main", type = "split-based-on"
        transitions = [
          { event = "noMatch", next = "agent" },
          { event = "match", next = "sales", conditions = [{ type = "equal_to", value = "1", arguments = ["{{widgets.gather_main.Digits}}"] }] },
          { event = "match", next = "agent", conditions = [{ type = "equal_to", value = "0", arguments = ["{{widgets.gather_main.Digits}}"] }] },
        ]
        properties = { input = "{{widgets.gather_main.Digits}}" }
      },
      {
        name = "sales", type = "enqueue-call", transitions = [], properties = { queue_name = "sales-${var.env}" }
      },
      {
        name = "agent", type = "send-to-flex", transitions = []
        properties = {
          workflow   = twilio_taskrouter_workspaces_workflows_v1.support.sid
          attributes = jsonencode({ type = "inbound", name = "{{trigger.call.From}}" })
        }
      },
    ]
    initial_state = "Trigger"
    flags = { allow_concurrent_calls = true }
  })
}
