import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { DATASET_ENV } from "./server/datasetRoot";
import AppHeader from "@/app/components/AppHeader";
import ReviewScreen from "./ReviewScreen";

// The list lives in the dataset folder and changes as a person reviews: never prerender it.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: "Review crops · AvatarGAN Workbench",
  description: "Accept or reject the face crops of a prepared data set before packing it for training.",
};

export default function ReviewPage() {
  if (!process.env[DATASET_ENV]) notFound(); // the review is off unless a dataset folder is configured
  return (
    <div className="app">
      <AppHeader
        title="Review crops"
        tagline={<>Accept the crops to train on, reject the rest; <code>python -m avatargan prepare pack</code> honours your decisions.</>}
      />
      <ReviewScreen />
    </div>
  );
}
