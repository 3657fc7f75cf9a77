import { SessionsPanel } from "../_components/sessions-panel";

export default function SessionsPage() {
  return <SessionsPanel />;
}
