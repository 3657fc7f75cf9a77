import { FileLimitsPanel } from "../_components/file-limits-panel";
import { ModelSettingsPanel } from "../_components/model-settings-panel";

export default function SettingsPage() {
  return (
    <>
      <ModelSettingsPanel />
      <FileLimitsPanel />
    </>
  );
}
