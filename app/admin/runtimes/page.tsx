import { RuntimesPanel } from "../_components/runtimes-panel";

export default function RuntimesPage() {
  return <RuntimesPanel />;
}
