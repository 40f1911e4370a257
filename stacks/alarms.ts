import { Duration } from "aws-cdk-lib";
import {
  Alarm,
  ComparisonOperator,
  type IAlarmAction,
  TreatMissingData,
} from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { Topic } from "aws-cdk-lib/aws-sns";
import { EmailSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import type { Construct } from "constructs";

const period = Duration.minutes(5);

/**
 * Where alarms go: one SNS topic, with an e-mail subscription when an address is given at deploy
 * time (AWS mails a confirmation link first). Without one, subscribe to the topic in the console.
 */
export function createAlarmTopic(scope: Construct, id: string, email: string | undefined): Topic {
  const topic = new Topic(scope, id, { displayName: "CRM Reco alarms" });
  if (email) topic.addSubscription(new EmailSubscription(email));
  return topic;
}

/**
 * A message in a dead-letter queue. The dead-letter function drains these queues into failed
 * jobs, so one that stays visible means recording failed too (the database is unreachable).
 */
export function alarmOnDeadLetters(
  scope: Construct,
  id: string,
  queue: IQueue,
  action: IAlarmAction,
): Alarm {
  const alarm = new Alarm(scope, id, {
    alarmDescription: `Messages waiting in ${id}: jobs SQS gave up on were not recorded as failed.`,
    metric: queue.metricApproximateNumberOfMessagesVisible({ period, statistic: "Maximum" }),
    threshold: 0,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
  alarm.addAlarmAction(action);
  return alarm;
}

/**
 * Any failed invocation in five minutes. SQS workers report failed messages one by one
 * (ReportBatchItemFailures), which is not an invocation error: those end in the dead-letter
 * queues. This catches crashes, timeouts, and failures of the S3- and EventBridge-invoked ones.
 */
export function alarmOnErrors(
  scope: Construct,
  id: string,
  fn: IFunction,
  action: IAlarmAction,
): Alarm {
  const alarm = new Alarm(scope, id, {
    alarmDescription: `${id}: the function failed at least once in 5 minutes.`,
    metric: fn.metricErrors({ period, statistic: "Sum" }),
    threshold: 0,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
  alarm.addAlarmAction(action);
  return alarm;
}

export const notify = (topic: Topic): IAlarmAction => new SnsAction(topic);
